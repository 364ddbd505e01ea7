// API tokens and roles, shared by `traider tokens` and the server.
export { API_ROLES, checkRole, createToken, findToken, listTokens, revokeToken, roleAllows, TokenNotFoundError, TokenVerifier, tokenView, type CreateTokenRequest, type Principal, type TokenView } from './tokens.ts';
