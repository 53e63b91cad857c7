/** Protocol versions: which reports a server of this version refuses before validating them. */
import { describe, expect, it } from 'vitest';
import { PROTOCOL_TOO_NEW, PROTOCOL_VERSION, protocolIssue } from '../../src/contract/index.js';

describe('protocolIssue', () => {
  it.each([
    ['no protocol_version (the original agent)', {}],
    ['this protocol', { protocol_version: PROTOCOL_VERSION }],
    ['an older protocol', { protocol_version: PROTOCOL_VERSION - 1 }],
    ['a non-integer, left to schema validation', { protocol_version: PROTOCOL_VERSION + 0.5 }],
    ['a string, left to schema validation', { protocol_version: String(PROTOCOL_VERSION + 1) }],
    ['a body that is not an object', [1, 2]],
    ['null', null],
  ])('lets through %s', (_name, body) => {
    expect(protocolIssue(body)).toBeUndefined();
  });

  it('refuses a newer protocol with an item that says what to do', () => {
    expect(protocolIssue({ protocol_version: PROTOCOL_VERSION + 1 })).toEqual({
      loc: ['body', 'protocol_version'],
      msg: `protocol_version ${PROTOCOL_VERSION + 1} is newer than this server understands (${PROTOCOL_VERSION}); upgrade the server`,
      type: PROTOCOL_TOO_NEW,
    });
  });
});
