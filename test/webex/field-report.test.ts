/** The doctor lines for configured Webex fields the account's schema lacks. */
import { describe, expect, it } from 'vitest';
import { mappedWebexFields, webexFieldReport } from '../../shared/webex/field-report';

describe('Function: webexFieldReport', () => {
  const fieldMap = { Email: 'email', 'First Name': 'profile.firstName', 'Webex Ticket': 'ticketName' };

  it('passes when the schema has every mapped field', () => {
    // Act
    const rows = webexFieldReport(['email', 'profile.firstName', 'ticketName'], fieldMap);

    // Assess
    expect(rows).toEqual([expect.objectContaining({ status: 'pass', check: 'webex fields' })]);
  });

  it('fails one line per missing field, naming the HubSpot label and the fix', () => {
    // Act
    const rows = webexFieldReport(['email', 'profile.firstName'], fieldMap);

    // Assess
    expect(rows).toEqual([
      {
        check: 'webex field ticketName',
        status: 'fail',
        detail: expect.stringContaining("HubSpot 'Webex Ticket'"),
        next: expect.stringContaining("remove 'Webex Ticket' from webex.fieldMap"),
      },
    ]);
    expect(mappedWebexFields(fieldMap)).toEqual(['email', 'profile.firstName', 'ticketName']);
  });
});
