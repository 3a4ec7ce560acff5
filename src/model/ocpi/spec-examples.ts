/**
 * Example payloads of the OCPI 2.2.1 release (github.com/ocpi/ocpi, tag `v2.2.1-d2`, folder `examples/`;
 * © EVRoaming Foundation, CC BY-ND 4.0), kept verbatim in ./examples/ and shared with the tests. The model schemas
 * carry these as their OpenAPI `examples`. Only sound examples are used: the ones the digest (8.4) calls defective
 * are left out.
 */
import locationExample from './examples/location_example.json';
import locationExampleUc2DestinationCharger from './examples/location_example_uc2_destination_charger.json';
import locationHoursWithExceptionalClosing from './examples/location_hours_opening_hours_with_exceptional_closing.json';
import locationEnergyMixExampleComplete from './examples/location_energymix_example_complete.json';
import locationPatchExampleLocation from './examples/location_patch_example_location.json';
import locationPatchExampleStatus from './examples/location_patch_example_status.json';
import locationPatchExampleTariff from './examples/location_patch_example_tariff.json';
import tariff1Simple2Hour from './examples/tariff_1_simple_2hour.json';
import tariff4Complex from './examples/tariff_4_complex.json';
import tokenExample1AppUser from './examples/token_example_1_app_user.json';
import tokenExample2FullRfid from './examples/token_example_2_full_rfid.json';
import tokenPatchExample from './examples/token_patch_example.json';
import sessionExample1SimpleStart from './examples/session_example_1_simple_start.json';
import sessionExample2ShortFinished from './examples/session_example_2_short_finished.json';
import cdrExample from './examples/cdr_example.json';
import credentialsExample from './examples/credentials_example.json';
import versionsInfoExample from './examples/versions_info_example.json';
import versionDetailsExample from './examples/version_details_example.json';
import typeDisplayTextExample from './examples/type_displaytext_example.json';

export {
  locationExample,
  locationExampleUc2DestinationCharger,
  locationHoursWithExceptionalClosing,
  locationEnergyMixExampleComplete,
  locationPatchExampleLocation,
  locationPatchExampleStatus,
  locationPatchExampleTariff,
  tariff1Simple2Hour,
  tariff4Complex,
  tokenExample1AppUser,
  tokenExample2FullRfid,
  tokenPatchExample,
  sessionExample1SimpleStart,
  sessionExample2ShortFinished,
  cdrExample,
  credentialsExample,
  versionsInfoExample,
  versionDetailsExample,
  typeDisplayTextExample,
};
