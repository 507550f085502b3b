/** Where a user finds the Analytics API token in Vitally (the API reference, §2.1); not the REST API token. */
export const TOKEN_HELP =
  'In Vitally: Settings › Integrations › Vitally API › “Integrate via HTTPS API” › copy the API key.';
