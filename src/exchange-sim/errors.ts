// Binance error responses: {code, msg} with the HTTP status the real exchange uses.

export class BinanceError extends Error {
  constructor(
    readonly code: number,
    message: string,
    readonly status = 400,
  ) {
    super(message);
    this.name = 'BinanceError';
  }

  toJSON(): { code: number; msg: string } {
    return { code: this.code, msg: this.message };
  }
}

export const Errors = {
  mandatory: (name: string) => new BinanceError(-1102, `Mandatory parameter '${name}' was not sent, was empty/null, or malformed.`),
  mandatoryEither: (a: string, b: string) => new BinanceError(-1102, `Param '${a}' or '${b}' must be sent, but both were empty/null!`),
  illegalParam: (name: string) => new BinanceError(-1100, `Illegal characters found in parameter '${name}'; legal range is '^[0-9]{1,20}$'.`),
  badPrecision: (name: string) => new BinanceError(-1111, `Parameter '${name}' has too much precision.`),
  invalidSymbol: () => new BinanceError(-1121, 'Invalid symbol.'),
  invalidInterval: () => new BinanceError(-1120, 'Invalid interval.'),
  badApiKeyFormat: () => new BinanceError(-2014, 'API-key format invalid.', 401),
  rejectedApiKey: () => new BinanceError(-2015, 'Invalid API-key, IP, or permissions for action.', 401),
  badSignature: () => new BinanceError(-1022, 'Signature for this request is not valid.'),
  outsideRecvWindow: () => new BinanceError(-1021, 'Timestamp for this request is outside of the recvWindow.'),
  aheadOfServer: () => new BinanceError(-1021, "Timestamp for this request was 1000ms ahead of the server's time."),
  recvWindowTooLarge: () => new BinanceError(-1131, 'recvWindow must be less than 60000'),
  insufficientBalance: () => new BinanceError(-2010, 'Account has insufficient balance for requested action.'),
  duplicateOrder: () => new BinanceError(-2010, 'Duplicate order sent.'),
  wouldTake: () => new BinanceError(-2010, 'Order would immediately match and take.'),
  wouldTrigger: () => new BinanceError(-2010, 'Order would trigger immediately.'),
  trailingNotSupported: () => new BinanceError(-2010, 'Trailing stop orders are not supported for this symbol.'),
  noLiquidity: () => new BinanceError(-2010, 'Market is closed.'),
  unknownOrderCancel: () => new BinanceError(-2011, 'Unknown order sent.'),
  orderDoesNotExist: () => new BinanceError(-2013, 'Order does not exist.'),
  filter: (name: string) => new BinanceError(-1013, `Filter failure: ${name}`),
  invalidTimeInForce: () => new BinanceError(-1115, 'Invalid timeInForce.'),
  invalidOrderType: () => new BinanceError(-1116, 'Invalid orderType.'),
  invalidSide: () => new BinanceError(-1117, 'Invalid side.'),
  notRequired: (name: string) => new BinanceError(-1106, `Parameter '${name}' sent when not required.`),
  tooMuchWeight: () => new BinanceError(-1003, 'Too much request weight used; please use WebSocket Streams for live updates to avoid polling the API.', 429),
  banned: (until: number) => new BinanceError(-1003, `Way too much request weight used; IP banned until ${until}. Please use WebSocket Streams for live updates to avoid bans.`, 418),
  unknownMethod: () => new BinanceError(-1020, 'Unsupported operation.'),
  malformed: (detail: string) => new BinanceError(-1100, detail),
} as const;
