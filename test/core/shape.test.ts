import { PaasValidationError } from '../../lib/core/errors';
import { checkDnsLabel } from '../../lib/core/names';
import { assertShape, levenshtein, nearest, S, ShapeMatches } from '../../lib/core/shape';
import { EnvValue } from '../../lib/workloads/env';
import { Probe } from '../../lib/workloads/probes';

interface Port {
  readonly name: string;
  readonly number?: number;
}
interface Props {
  readonly name: string;
  readonly replicas?: number;
  readonly mode?: 'a' | 'b';
  readonly ports?: Port[];
  readonly env?: Record<string, EnvValue>;
  readonly port?: number | string;
  readonly probe?: Probe | false;
}

const portShape = S.object('Port', { name: S.string(), number: S.optional(S.integer(1, 65535)) });
const propsShape = S.object('Props', {
  name: S.string().refine(checkDnsLabel),
  replicas: S.optional(S.integer(0)),
  mode: S.optional(S.oneOf('a', 'b')),
  ports: S.optional(S.array(portShape)),
  env: S.optional(S.record(S.instance(EnvValue, 'an EnvValue (EnvValue.value(), .fromSecret(), ...)'))),
  port: S.optional(S.union(S.integer(1, 65535), S.string())),
  probe: S.optional(S.union(S.instance(Probe, 'a Probe'), S.oneOf(false))),
});
// The shape and the interface cannot drift: this line fails to compile if they differ.
const matches: ShapeMatches<typeof propsShape, Props> = true;

const messageOf = (value: unknown): string => {
  try {
    assertShape('app/x', value, propsShape);
  } catch (e) {
    expect(e).toBeInstanceOf(PaasValidationError);
    return (e as Error).message;
  }
  return 'no error';
};

describe('shape checks', () => {
  test('the shape type matches its interface', () => {
    expect(matches).toBe(true);
  });

  test('accepts a valid value', () => {
    expect(
      messageOf({ name: 'web', replicas: 2, mode: 'a', ports: [{ name: 'http', number: 80 }], env: { A: EnvValue.value('1') }, port: 'http', probe: false }),
    ).toBe('no error');
  });

  test('fails if props are not an object', () => {
    expect(messageOf(undefined)).toBe('app/x: props undefined is invalid: must be an object (Props)');
    expect(messageOf([])).toBe('app/x: props [] is invalid: must be an object (Props)');
  });

  test('reports every problem of one value, in declaration order, with dotted fields', () => {
    expect(messageOf({ replicas: -1, mode: 'c', ports: [{ name: 'http' }, { name: 3, numbr: 8080 }], env: { X: 'str' }, port: 0, probe: true })).toBe(
      [
        '8 problems:',
        '  - app/x: name undefined is invalid: is required: a string',
        '  - app/x: replicas -1 is invalid: must be an integer >= 0',
        '  - app/x: mode "c" is invalid: must be "a" or "b"',
        '  - app/x: ports[1].name 3 is invalid: must be a string',
        '  - app/x: ports[1].numbr 8080 is invalid: is not a known field of Port; did you mean "number"?',
        '  - app/x: env.X "str" is invalid: must be an EnvValue (EnvValue.value(), .fromSecret(), ...)',
        '  - app/x: port 0 is invalid: must be an integer from 1 to 65535 or a string',
        '  - app/x: probe true is invalid: must be a Probe or false',
      ].join('\n'),
    );
  });

  test('runs refinements and keeps their messages', () => {
    expect(messageOf({ name: 'Web_App' })).toBe(
      'app/x: name "Web_App" is invalid: must be a DNS-1123 label: 1-63 characters, lower-case letters, digits and \'-\', starting and ending with a letter or digit',
    );
  });

  test('fails if an unknown key is given, naming the nearest known one', () => {
    expect(messageOf({ name: 'web', replica: 3 })).toBe('app/x: replica 3 is invalid: is not a known field of Props; did you mean "replicas"?');
    expect(messageOf({ name: 'web', zzzzzz: 1 })).toBe(
      'app/x: zzzzzz 1 is invalid: is not a known field of Props (known: name, replicas, mode, ports, env, port, probe)',
    );
  });

  test('does not show the value of an unknown key named like a secret', () => {
    expect(messageOf({ name: 'web', password: 'hunter2' })).toBe(
      'app/x: password "<not shown>" is invalid: is not a known field of Props (known: name, replicas, mode, ports, env, port, probe)',
    );
  });

  test('fails if null is given for an optional prop', () => {
    expect(messageOf({ name: 'web', replicas: null })).toBe('app/x: replicas null is invalid: must be an integer >= 0, or left out for the default');
  });

  test('fails if an object is given where an array belongs, and NaN where a number does', () => {
    expect(messageOf({ name: 'web', ports: { name: 'http' }, replicas: NaN })).toBe(
      [
        '2 problems:',
        '  - app/x: replicas NaN is invalid: must be an integer >= 0',
        '  - app/x: ports {"name":"http"} is invalid: must be an array, each item an object (Port)',
      ].join('\n'),
    );
  });

  test('accepts instances of another copy of a class by its brand, not look-alike plain objects', () => {
    const fake = { toJson: () => ({ value: 'x' }) };
    expect(messageOf({ name: 'web', env: { A: fake } })).toMatch(/env\.A .* must be an EnvValue/);
    class EnvValueCopy {
      public toJson(): object {
        return {};
      }
      public get secretRef(): undefined {
        return undefined;
      }
    }
    Object.defineProperty(EnvValueCopy, 'name', { value: 'EnvValue' });
    expect(messageOf({ name: 'web', env: { A: new EnvValueCopy() } })).toBe('no error');
  });
});

describe('nearest key', () => {
  test('edit distance', () => {
    expect(levenshtein('kitten', 'sitting')).toBe(3);
    expect(levenshtein('', 'abc')).toBe(3);
    expect(levenshtein('same', 'same')).toBe(0);
  });
  test('suggests only close keys, case-insensitively', () => {
    expect(nearest('Replicas', ['replicas', 'image'])).toBe('replicas');
    expect(nearest('imgae', ['replicas', 'image'])).toBe('image');
    expect(nearest('x', ['y'])).toBeUndefined();
    expect(nearest('credentails', ['credentials', 'credentialFiles'])).toBe('credentials');
    expect(nearest('password', ['secretName', 'passwordKey'])).toBe('passwordKey');
  });
});
