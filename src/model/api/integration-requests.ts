/** The kinds of integration an operator is asked for, and the triage states a request goes through. */
export const integrationTypes = ['emsp', 'roaming_hub', 'payment', 'other'] as const;
export const integrationRequestStatuses = ['submitted', 'in_review', 'accepted', 'rejected', 'completed'] as const;
