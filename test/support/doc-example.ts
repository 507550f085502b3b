/**
 * The Vitally documentation's example batch (`test/fixtures/vitally-doc-batch.json`) as the spreadsheet a user
 * would have: one row per message, a `type` column saying what each row is, one `name` column shared by the
 * organization, the account, the user (a trait) and the custom object (its name field).
 */
export const DOC_EXAMPLE_CSV = [
  'type,organizationId,accountId,userId,name,sport,group,position,number,email,event,minute,opponentId,matchId,externalId,customObjectId,vitally.custom.stage,vitally.custom.dealValue,vitally.custom.closeDate,messageId,timestamp',
  'organization,abcdefg,,,World Cup,futbol,,,,,,,,,,,,,,7ac1c682-a54b-4d0d-9f56-d6d3618f4915,2018-05-15T12:31:12.123Z',
  'account,abcdefg,123456,,Argentina,,D,,,,,,,,,,,,,7ac1c682-a54b-4d0d-9f56-d6d3618f4915,2018-05-15T12:31:12.123Z',
  'user,abcdefg,123456,32,Lionel Messi,,,Forward,10,messi@barcelona.sp,,,,,,,,,,7ac1c682-a54b-4d0d-9f56-d6d3618f4915,2018-05-15T12:31:12.123Z',
  'track,,,32,,,,,,,scored-goal,14,421243,9,,,,,,7ac1c682-a54b-4d0d-9f56-d6d3618f4915,2018-05-15T12:31:12.123Z',
  'customobjectinstance,,123456,,Q1 Renewal - Argentina,,,,,,,,,,coi-789xyz,2a3a47e7-459e-440e-b9d3-9fc1b11f233e,Negotiation,50000,2018-06-30T00:00:00.000Z,7ac1c682-a54b-4d0d-9f56-d6d3618f4916,2018-05-15T12:31:12.123Z',
].join('\n');
