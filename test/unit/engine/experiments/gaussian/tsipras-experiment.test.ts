import { describe, expect, it } from 'vitest';
import { normalCdf } from '../../../../../src-main/engine/math/normal-distribution';
import {
  defaultTsiprasConfig,
  runTsiprasExperiment,
  tsiprasClosedFormAccuracy,
  type TsiprasClassifierName,
  type TsiprasClassifierReport,
  type TsiprasConfig,
  type TsiprasResult,
} from '../../../../../src-main/engine/experiments/gaussian/tsipras-experiment';

function samplingTolerance(q: number, n: number): number {
  return 4 * Math.sqrt((q * (1 - q)) / n) + 1e-3;
}

function classifier(result: TsiprasResult, name: TsiprasClassifierName): TsiprasClassifierReport {
  const found = result.classifiers.find((c) => c.name === name);
  if (found === undefined) throw new Error(`no ${name} classifier`);
  return found;
}

const config: TsiprasConfig = { ...defaultTsiprasConfig, samples: 6000, curvePoints: 13 };

describe('Tsipras et al. 2019 toy model', () => {
  const result = runTsiprasExperiment(config);

  it('resolves η = 2/√d and ε = 2η', () => {
    expect(result.weakFeatureMean).toBeCloseTo(0.2, 12);
    expect(result.epsilon).toBeCloseTo(0.4, 12);
    expect(result.curveEpsilons.at(-1)).toBeCloseTo(1.2, 12);
  });

  it('the averaging classifier: Φ(η√d) clean, Φ((η − ε)√d) robust — high accuracy, ~0 robustness', () => {
    const standard = classifier(result, 'standard');
    expect(standard.cleanAccuracy.closedForm).toBeCloseTo(normalCdf(2), 12);
    expect(standard.robustAccuracy.closedForm).toBeCloseTo(normalCdf(-2), 12);
    expect(standard.cleanAccuracy.closedForm).toBeGreaterThan(0.97);
    expect(standard.robustAccuracy.closedForm).toBeLessThan(0.03);
  });

  it('the robust classifier: accuracy p at every ε < 1, 0 from ε = 1 on', () => {
    const robust = classifier(result, 'robust');
    expect(robust.cleanAccuracy.closedForm).toBe(0.9);
    expect(robust.robustAccuracy.closedForm).toBe(0.9);
    result.curveEpsilons.forEach((epsilon, i) => {
      expect(robust.curve.closedForm[i]).toBe(epsilon < 1 ? 0.9 : 0);
    });
    expect(tsiprasClosedFormAccuracy(1, 0, 100, 0.9, 0.2, 0.999)).toBe(0.9);
    expect(tsiprasClosedFormAccuracy(1, 0, 100, 0.9, 0.2, 1)).toBe(0);
  });

  it('the Bayes classifier beats averaging clean but is no more robust than chance at ε = 2η', () => {
    const bayes = classifier(result, 'bayes');
    expect(bayes.cleanAccuracy.closedForm).toBeGreaterThan(
      classifier(result, 'standard').cleanAccuracy.closedForm,
    );
    expect(bayes.robustAccuracy.closedForm).toBeLessThan(0.1);
  });

  it('closed forms match the simulation along every curve', () => {
    for (const report of result.classifiers) {
      report.curve.closedForm.forEach((q, i) => {
        expect(
          Math.abs((report.curve.simulated[i] ?? NaN) - q),
          `${report.name} at ε=${result.curveEpsilons[i]}`,
        ).toBeLessThan(samplingTolerance(q, config.samples));
      });
      for (const pair of [report.cleanAccuracy, report.robustAccuracy]) {
        expect(Math.abs(pair.simulated - pair.closedForm)).toBeLessThan(
          samplingTolerance(pair.closedForm, config.samples),
        );
      }
    }
  });

  it('is reproducible from the seed', () => {
    const again = runTsiprasExperiment(config);
    expect(again.classifiers.map((c) => c.curve.simulated)).toEqual(
      result.classifiers.map((c) => c.curve.simulated),
    );
  });

  it('refuses bad configurations', () => {
    expect(() => runTsiprasExperiment({ ...config, robustFeatureAccuracy: 1 })).toThrow(
      /p must lie in \[0.5, 1\), got 1/,
    );
    expect(() => runTsiprasExperiment({ ...config, weakFeatures: 0 })).toThrow(
      /weak features must be a whole number/,
    );
    expect(() => runTsiprasExperiment({ ...config, weakFeatureMean: -1 })).toThrow(
      /η must be a finite number > 0/,
    );
    expect(() => runTsiprasExperiment({ ...config, epsilon: Number.NaN })).toThrow(
      /ε must be a finite number ≥ 0/,
    );
    expect(() => runTsiprasExperiment({ ...config, samples: 1_000_000 })).toThrow(
      /at most 50,000,000/,
    );
  });
});
