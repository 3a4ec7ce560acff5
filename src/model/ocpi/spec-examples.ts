/**
 * Example payloads of the OCPI 2.2.1 release (github.com/ocpi/ocpi, tag `v2.2.1-d2`, folder `examples/`;
 * © EVRoaming Foundation, CC BY-ND 4.0), verbatim as in test/fixtures/ocpi-2.2.1-examples (test/model/spec-examples.test.ts
 * checks they stay equal). The model schemas carry them as their OpenAPI `examples`. Only sound examples are here:
 * the ones the digest (8.4) calls defective are left out.
 */

/** File each constant is a copy of. */
export const SPEC_EXAMPLE_FILES = {
  locationExample: 'location_example.json',
  locationExampleUc2DestinationCharger: 'location_example_uc2_destination_charger.json',
  locationHoursWithExceptionalClosing: 'location_hours_opening_hours_with_exceptional_closing.json',
  locationEnergyMixExampleComplete: 'location_energymix_example_complete.json',
  locationPatchExampleLocation: 'location_patch_example_location.json',
  locationPatchExampleStatus: 'location_patch_example_status.json',
  locationPatchExampleTariff: 'location_patch_example_tariff.json',
  tariff1Simple2Hour: 'tariff_1_simple_2hour.json',
  tariff4Complex: 'tariff_4_complex.json',
  tokenExample1AppUser: 'token_example_1_app_user.json',
  tokenExample2FullRfid: 'token_example_2_full_rfid.json',
  tokenPatchExample: 'token_patch_example.json',
  sessionExample1SimpleStart: 'session_example_1_simple_start.json',
  sessionExample2ShortFinished: 'session_example_2_short_finished.json',
  cdrExample: 'cdr_example.json',
  credentialsExample: 'credentials_example.json',
  versionsInfoExample: 'versions_info_example.json',
  versionDetailsExample: 'version_details_example.json',
  typeDisplayTextExample: 'type_displaytext_example.json',
} as const;

/** location_example.json */
export const locationExample = {
  "country_code": "BE",
  "party_id": "BEC",
  "id": "LOC1",
  "publish": true,
  "name": "Gent Zuid",
  "address": "F.Rooseveltlaan 3A",
  "city": "Gent",
  "postal_code": "9000",
  "country": "BEL",
  "coordinates": {
    "latitude": "51.047599",
    "longitude": "3.729944"
  },
  "parking_type": "ON_STREET",
  "evses": [
    {
      "uid": "3256",
      "evse_id": "BE*BEC*E041503001",
      "status": "AVAILABLE",
      "capabilities": [
        "RESERVABLE"
      ],
      "connectors": [
        {
          "id": "1",
          "standard": "IEC_62196_T2",
          "format": "CABLE",
          "power_type": "AC_3_PHASE",
          "max_voltage": 220,
          "max_amperage": 16,
          "tariff_ids": [
            "11"
          ],
          "last_updated": "2015-03-16T10:10:02Z"
        },
        {
          "id": "2",
          "standard": "IEC_62196_T2",
          "format": "SOCKET",
          "power_type": "AC_3_PHASE",
          "max_voltage": 220,
          "max_amperage": 16,
          "tariff_ids": [
            "13"
          ],
          "last_updated": "2015-03-18T08:12:01Z"
        }
      ],
      "physical_reference": "1",
      "floor_level": "-1",
      "last_updated": "2015-06-28T08:12:01Z"
    },
    {
      "uid": "3257",
      "evse_id": "BE*BEC*E041503002",
      "status": "RESERVED",
      "capabilities": [
        "RESERVABLE"
      ],
      "connectors": [
        {
          "id": "1",
          "standard": "IEC_62196_T2",
          "format": "SOCKET",
          "power_type": "AC_3_PHASE",
          "max_voltage": 220,
          "max_amperage": 16,
          "tariff_ids": [
            "12"
          ],
          "last_updated": "2015-06-29T20:39:09Z"
        }
      ],
      "physical_reference": "2",
      "floor_level": "-2",
      "last_updated": "2015-06-29T20:39:09Z"
    }
  ],
  "operator": {
    "name": "BeCharged"
  },
  "time_zone": "Europe/Brussels",
  "last_updated": "2015-06-29T20:39:09Z"
};

/** location_example_uc2_destination_charger.json */
export const locationExampleUc2DestinationCharger = {
  "country_code": "NL",
  "party_id": "ALF",
  "id": "3e7b39c2-10d0-4138-a8b3-8509a25f9920",
  "publish": true,
  "name": "ihomer",
  "address": "Tamboerijn 7",
  "city": "Etten-Leur",
  "postal_code": "4876 BS",
  "country": "NLD",
  "coordinates": {
    "latitude": "51.562787",
    "longitude": "4.638975"
  },
  "parking_type": "PARKING_LOT",
  "evses": [
    {
      "uid": "fd855359-bc81-47bb-bb89-849ae3dac89e",
      "evse_id": "NL*ALF*E000000001",
      "status": "AVAILABLE",
      "connectors": [
        {
          "id": "1",
          "standard": "IEC_62196_T2",
          "format": "SOCKET",
          "power_type": "AC_3_PHASE",
          "max_voltage": 220,
          "max_amperage": 16,
          "last_updated": "2019-07-01T12:12:11Z"
        }
      ],
      "parking_restrictions": [
        "CUSTOMERS"
      ],
      "last_updated": "2019-07-01T12:12:11Z"
    }
  ],
  "time_zone": "Europe/Amsterdam",
  "last_updated": "2019-07-01T12:12:11Z"
};

/** location_hours_opening_hours_with_exceptional_closing.json */
export const locationHoursWithExceptionalClosing = {
  "twentyfourseven": false,
  "regular_hours": [
    {
      "weekday": 1,
      "period_begin": "01:00",
      "period_end": "06:00"
    },
    {
      "weekday": 2,
      "period_begin": "01:00",
      "period_end": "06:00"
    }
  ],
  "exceptional_closings": [
    {
      "period_begin": "2018-12-25T03:00:00Z",
      "period_end": "2018-12-25T05:00:00Z"
    }
  ]
};

/** location_energymix_example_complete.json */
export const locationEnergyMixExampleComplete = {
  "energy_mix": {
    "is_green_energy": false,
    "energy_sources": [
      {
        "source": "GENERAL_GREEN",
        "percentage": 35.9
      },
      {
        "source": "GAS",
        "percentage": 6.3
      },
      {
        "source": "COAL",
        "percentage": 33.2
      },
      {
        "source": "GENERAL_FOSSIL",
        "percentage": 2.9
      },
      {
        "source": "NUCLEAR",
        "percentage": 21.7
      }
    ],
    "environ_impact": [
      {
        "category": "NUCLEAR_WASTE",
        "amount": 0.0006
      },
      {
        "category": "CARBON_DIOXIDE",
        "amount": 372
      }
    ],
    "supplier_name": "E.ON Energy Deutschland",
    "energy_product_name": "E.ON DirektStrom eco"
  }
};

/** location_patch_example_location.json */
export const locationPatchExampleLocation = {
  "name": "Interparking Gent Zuid",
  "last_updated": "2019-06-24T12:39:09Z"
};

/** location_patch_example_status.json */
export const locationPatchExampleStatus = {
  "status": "CHARGING",
  "last_updated": "2019-06-24T12:39:09Z"
};

/** location_patch_example_tariff.json */
export const locationPatchExampleTariff = {
  "tariff_ids": [
    "15"
  ],
  "last_updated": "2019-06-24T12:39:09Z"
};

/** tariff_1_simple_2hour.json */
export const tariff1Simple2Hour = {
  "country_code": "DE",
  "party_id": "ALL",
  "id": "12",
  "currency": "EUR",
  "elements": [
    {
      "price_components": [
        {
          "type": "TIME",
          "price": 2,
          "vat": 10,
          "step_size": 60
        }
      ]
    }
  ],
  "last_updated": "2015-06-29T20:39:09Z"
};

/** tariff_4_complex.json */
export const tariff4Complex = {
  "country_code": "DE",
  "party_id": "ALL",
  "id": "14",
  "currency": "EUR",
  "type": "REGULAR",
  "tariff_alt_url": "https://company.com/tariffs/14",
  "elements": [
    {
      "price_components": [
        {
          "type": "FLAT",
          "price": 2.5,
          "vat": 15,
          "step_size": 1
        }
      ]
    },
    {
      "price_components": [
        {
          "type": "TIME",
          "price": 1,
          "vat": 20,
          "step_size": 900
        }
      ],
      "restrictions": {
        "max_current": 32
      }
    },
    {
      "price_components": [
        {
          "type": "TIME",
          "price": 2,
          "vat": 20,
          "step_size": 600
        }
      ],
      "restrictions": {
        "min_current": 32,
        "day_of_week": [
          "MONDAY",
          "TUESDAY",
          "WEDNESDAY",
          "THURSDAY",
          "FRIDAY"
        ]
      }
    },
    {
      "price_components": [
        {
          "type": "TIME",
          "price": 1.25,
          "vat": 20,
          "step_size": 600
        }
      ],
      "restrictions": {
        "min_current": 32,
        "day_of_week": [
          "SATURDAY",
          "SUNDAY"
        ]
      }
    },
    {
      "price_components": [
        {
          "type": "PARKING_TIME",
          "price": 5,
          "vat": 10,
          "step_size": 300
        }
      ],
      "restrictions": {
        "start_time": "09:00",
        "end_time": "18:00",
        "day_of_week": [
          "MONDAY",
          "TUESDAY",
          "WEDNESDAY",
          "THURSDAY",
          "FRIDAY"
        ]
      }
    },
    {
      "price_components": [
        {
          "type": "PARKING_TIME",
          "price": 6,
          "vat": 10,
          "step_size": 300
        }
      ],
      "restrictions": {
        "start_time": "10:00",
        "end_time": "17:00",
        "day_of_week": [
          "SATURDAY"
        ]
      }
    }
  ],
  "last_updated": "2015-06-29T20:39:09Z"
};

/** token_example_1_app_user.json */
export const tokenExample1AppUser = {
  "country_code": "DE",
  "party_id": "TNM",
  "uid": "bdf21bce-fc97-11e8-8eb2-f2801f1b9fd1",
  "type": "APP_USER",
  "contract_id": "DE8ACC12E46L89",
  "issuer": "TheNewMotion",
  "valid": true,
  "whitelist": "ALLOWED",
  "last_updated": "2018-12-10T17:16:15Z"
};

/** token_example_2_full_rfid.json */
export const tokenExample2FullRfid = {
  "country_code": "DE",
  "party_id": "TNM",
  "uid": "12345678905880",
  "type": "RFID",
  "contract_id": "DE8ACC12E46L89",
  "visual_number": "DF000-2001-8999-1",
  "issuer": "TheNewMotion",
  "group_id": "DF000-2001-8999",
  "valid": true,
  "whitelist": "ALLOWED",
  "language": "it",
  "default_profile_type": "GREEN",
  "energy_contract": {
    "supplier_name": "Greenpeace Energy eG",
    "contract_id": "0123456789"
  },
  "last_updated": "2018-12-10T17:25:10Z"
};

/** token_patch_example.json */
export const tokenPatchExample = {
  "valid": false,
  "last_updated": "2019-06-19T02:11:11Z"
};

/** session_example_1_simple_start.json */
export const sessionExample1SimpleStart = {
  "country_code": "NL",
  "party_id": "STK",
  "id": "101",
  "start_date_time": "2020-03-09T10:17:09Z",
  "kwh": 0,
  "cdr_token": {
    "country_code": "NL",
    "party_id": "TST",
    "uid": "123abc",
    "type": "RFID",
    "contract_id": "NL-TST-C12345678-S"
  },
  "auth_method": "WHITELIST",
  "location_id": "LOC1",
  "evse_uid": "3256",
  "connector_id": "1",
  "currency": "EUR",
  "total_cost": {
    "excl_vat": 2.5
  },
  "status": "PENDING",
  "last_updated": "2020-03-09T10:17:09Z"
};

/** session_example_2_short_finished.json */
export const sessionExample2ShortFinished = {
  "country_code": "BE",
  "party_id": "BEC",
  "id": "101",
  "start_date_time": "2015-06-29T22:39:09Z",
  "end_date_time": "2015-06-29T23:50:16Z",
  "kwh": 41.12,
  "cdr_token": {
    "country_code": "NL",
    "party_id": "TST",
    "uid": "123abc",
    "type": "RFID",
    "contract_id": "NL-TST-C12345678-S"
  },
  "auth_method": "WHITELIST",
  "location_id": "LOC1",
  "evse_uid": "3256",
  "connector_id": "1",
  "currency": "EUR",
  "charging_periods": [
    {
      "start_date_time": "2015-06-29T22:39:09Z",
      "dimensions": [
        {
          "type": "ENERGY",
          "volume": 120
        },
        {
          "type": "MAX_CURRENT",
          "volume": 30
        }
      ]
    },
    {
      "start_date_time": "2015-06-29T22:40:54Z",
      "dimensions": [
        {
          "type": "ENERGY",
          "volume": 41000
        },
        {
          "type": "MIN_CURRENT",
          "volume": 34
        }
      ]
    },
    {
      "start_date_time": "2015-06-29T23:07:09Z",
      "dimensions": [
        {
          "type": "PARKING_TIME",
          "volume": 0.718
        }
      ],
      "tariff_id": "12"
    }
  ],
  "total_cost": {
    "excl_vat": 8.5,
    "incl_vat": 9.35
  },
  "status": "COMPLETED",
  "last_updated": "2015-06-29T23:50:17Z"
};

/** cdr_example.json */
export const cdrExample = {
  "country_code": "BE",
  "party_id": "BEC",
  "id": "12345",
  "start_date_time": "2015-06-29T21:39:09Z",
  "end_date_time": "2015-06-29T23:37:32Z",
  "cdr_token": {
    "country_code": "DE",
    "party_id": "TNM",
    "uid": "012345678",
    "type": "RFID",
    "contract_id": "DE8ACC12E46L89"
  },
  "auth_method": "WHITELIST",
  "cdr_location": {
    "id": "LOC1",
    "name": "Gent Zuid",
    "address": "F.Rooseveltlaan 3A",
    "city": "Gent",
    "postal_code": "9000",
    "country": "BEL",
    "coordinates": {
      "latitude": "3.729944",
      "longitude": "51.047599"
    },
    "evse_uid": "3256",
    "evse_id": "BE*BEC*E041503003",
    "connector_id": "1",
    "connector_standard": "IEC_62196_T2",
    "connector_format": "SOCKET",
    "connector_power_type": "AC_1_PHASE"
  },
  "currency": "EUR",
  "tariffs": [
    {
      "country_code": "BE",
      "party_id": "BEC",
      "id": "12",
      "currency": "EUR",
      "elements": [
        {
          "price_components": [
            {
              "type": "TIME",
              "price": 2,
              "vat": 10,
              "step_size": 300
            }
          ]
        }
      ],
      "last_updated": "2015-02-02T14:15:01Z"
    }
  ],
  "charging_periods": [
    {
      "start_date_time": "2015-06-29T21:39:09Z",
      "dimensions": [
        {
          "type": "TIME",
          "volume": 1.973
        }
      ],
      "tariff_id": "12"
    }
  ],
  "total_cost": {
    "excl_vat": 4,
    "incl_vat": 4.4
  },
  "total_energy": 15.342,
  "total_time": 1.973,
  "total_time_cost": {
    "excl_vat": 4,
    "incl_vat": 4.4
  },
  "last_updated": "2015-06-29T22:01:13Z"
};

/** credentials_example.json */
export const credentialsExample = {
  "token": "ebf3b399-779f-4497-9b9d-ac6ad3cc44d2",
  "url": "https://example.com/ocpi/versions",
  "roles": [
    {
      "role": "CPO",
      "party_id": "EXA",
      "country_code": "NL",
      "business_details": {
        "name": "Example Operator"
      }
    }
  ]
};

/** versions_info_example.json */
export const versionsInfoExample = [
  {
    "version": "2.1.1",
    "url": "https://www.server.com/ocpi/2.1.1"
  },
  {
    "version": "2.2.1",
    "url": "https://www.server.com/ocpi/2.2.1"
  }
];

/** version_details_example.json */
export const versionDetailsExample = {
  "version": "2.2",
  "endpoints": [
    {
      "identifier": "credentials",
      "role": "SENDER",
      "url": "https://example.com/ocpi/2.2/credentials"
    },
    {
      "identifier": "locations",
      "role": "SENDER",
      "url": "https://example.com/ocpi/cpo/2.2/locations"
    }
  ]
};

/** type_displaytext_example.json */
export const typeDisplayTextExample = {
  "language": "en",
  "text": "Standard Tariff"
};
