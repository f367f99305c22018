/**
 * train.py's measurements (engine/training/evaluate.ts): clean accuracy in batches of 256 and
 * PGD accuracy in batches of 128, the network in inference mode; the attacks used at each epoch
 * end (engine/training/train-model.ts: the training threat model at full ε on the first 500 test
 * images, and the validation attack) with the same seed labels.
 */
export const evaluationPython = String.raw`
# ── Measurements ──────────────────────────────────────────────────────────────────────────────
EVALUATION_BATCH = 256
ROBUST_BATCH = 128
ROBUST_EVALUATION_LIMIT = 500


def accuracy_on(net, images, labels, indices, device, attack=None):
    """Fraction of the images at indices classified right, clean or on PGD examples."""
    if len(indices) == 0:
        raise SystemExit('accuracy of an empty set')
    net.eval()
    correct = 0
    batch = EVALUATION_BATCH if attack is None else ROBUST_BATCH
    for start in range(0, len(indices), batch):
        part = indices[start:start + batch]
        x, y = to_device(images[part], labels[part], device)
        if attack is not None:
            x = pgd(net, x, y, attack)
        with torch.no_grad():
            correct += int((net(x).argmax(1) == y).sum())
    return correct / len(indices)


def training_attack(config, seed, ramp=1.0):
    """The training threat model with ε and the step size scaled by the warm-up ramp."""
    adversarial = config['adversarial']
    if adversarial is None:
        return None
    return dict(adversarial, epsilon=adversarial['epsilon'] * ramp,
                stepSize=adversarial['stepSize'] * ramp, seed=seed)


def validation_attack(config, seed):
    """The configured validation threat model, else the training one, else none."""
    chosen = (config['validation'] or {}).get('attack') or config['adversarial']
    return None if chosen is None else dict(chosen, seed=seed)
`;
