"""Re-scores an exported run (rfw export --run) with NumPy alone, as someone without the workbench
would: reads the CSV tables and .npy arrays, recomputes the accuracies, the worst case and the
perturbation norms from the files, and prints one JSON document for the test to compare with the
run's stored figures.

usage: rescore_run_export.py FOLDER
"""
import json
import sys
from pathlib import Path

import numpy as np


def table(folder: Path, name: str) -> dict:
    """A CSV table as float64 columns (an empty cell is NaN); .npy columns too where written."""
    data = np.genfromtxt(folder / f"{name}.csv", delimiter=",", names=True, dtype=np.float64)
    data = np.atleast_1d(data)
    columns = {column: data[column] for column in data.dtype.names}
    npy_folder = folder / name
    mismatched = []
    if npy_folder.is_dir():
        for column, values in columns.items():
            stored = np.load(npy_folder / f"{column}.npy")
            # A float32 cell must read back as exactly the stored float32; the rest are whole.
            floats = stored.dtype == np.float32
            if not np.array_equal(values.astype(stored.dtype), stored, equal_nan=floats):
                mismatched.append(column)
    return {"columns": columns, "mismatched": mismatched}


def norms(adversarial: np.ndarray, clean: np.ndarray) -> tuple:
    """Per image ‖x' − x‖∞ and ‖x' − x‖₂ in float64, over all H·W·C values."""
    delta = (adversarial.astype(np.float64) - clean.astype(np.float64)).reshape(len(clean), -1)
    return np.abs(delta).max(axis=1), np.sqrt((delta**2).sum(axis=1))


def attack(folder: Path, run: dict) -> dict:
    examples = table(folder, "examples")
    c = examples["columns"]
    clean = np.load(folder / "clean.npy")
    adversarial = np.load(folder / "adversarial.npy")
    linf, l2 = norms(adversarial, clean)
    return {
        "rows": int(len(c["row"])),
        "cleanCorrect": int((c["clean_prediction"] == c["label"]).sum()),
        "adversarialCorrect": int((c["adversarial_prediction"] == c["label"]).sum()),
        "maxLinf": float(linf.max()),
        "linfError": float(np.abs(linf - c["linf_norm"]).max()),
        "l2Error": float(np.abs(l2 - c["l2_norm"]).max()),
        "mismatchedColumns": examples["mismatched"],
    }


def evaluation(folder: Path, run: dict) -> dict:
    examples = table(folder, "examples")["columns"]
    worst = table(folder, "worst_case")["columns"]
    n = int(run["images"])
    epsilons = len(run["epsilons"])
    attacks = len(run["attacks"])
    clean = np.load(folder / "clean.npy")
    label = examples["label"].reshape(epsilons, attacks, n)
    prediction = examples["adversarial_prediction"].reshape(epsilons, attacks, n)
    clean_correct = examples["clean_prediction"].reshape(epsilons, attacks, n)[0, 0] == label[0, 0]
    # The worst case from the long table alone: clean-correct and every attack left it correct.
    robust = clean_correct[None, :] & (prediction == label).all(axis=1)
    linf_error = 0.0
    l2_error = 0.0
    worst_prediction_error = 0
    for e in range(epsilons):
        images = np.load(folder / "adversarial" / f"eps_{e}.npy")
        linf, l2 = norms(images, clean)
        rows = slice(e * n, (e + 1) * n)
        linf_error = max(linf_error, float(np.abs(linf - worst["linf_norm"][rows]).max()))
        l2_error = max(l2_error, float(np.abs(l2 - worst["l2_norm"][rows]).max()))
        # The worst-case row repeats its attack's row of the long table.
        attack = worst["worst_attack"][rows].astype(int)
        chosen = prediction[e, attack, np.arange(n)]
        worst_prediction_error += int((chosen != worst["adversarial_prediction"][rows]).sum())
    return {
        "rows": n,
        "cleanCorrect": int(clean_correct.sum()),
        "curvesCorrect": (prediction == label).sum(axis=2).tolist(),
        "worstCaseCorrect": robust.sum(axis=1).tolist(),
        "robustColumnAgrees": bool((robust.reshape(-1) == (worst["robust"] == 1)).all()),
        "linfError": linf_error,
        "l2Error": l2_error,
        "worstPredictionErrors": worst_prediction_error,
        "maxLinfOverEpsilon": float(
            (examples["linf_norm"] - np.repeat(np.array(run["epsilons"]), attacks * n)).max()
        ),
    }


def main() -> None:
    folder = Path(sys.argv[1])
    run = json.loads((folder / "run.json").read_text())
    result = attack(folder, run) if run["kind"] == "attack" else evaluation(folder, run)
    print(json.dumps(result))


if __name__ == "__main__":
    main()
