/**
 * train.py's learning-rate schedule (engine/training/learning-rate-schedule.ts: a function of
 * the global batch index s alone, so a resumed run gets the same rates) and optimizer
 * (engine/training/optimizers.ts). PyTorch's SGD with momentum 0.9 (no dampening, not Nesterov)
 * is the workbench's v ← μv + g, θ ← θ − ηv; its Adam is the workbench's with β (0.9, 0.999) once
 * ε is set to the workbench's 1e-7 (PyTorch's default is 1e-8). Neither side uses weight decay.
 */
export const optimizationPython = String.raw`
# ── Learning rate and optimizer ───────────────────────────────────────────────────────────────
def learning_rate_at(schedule, eta, batches_per_epoch, total_batches, step):
    kind = schedule['kind']
    if kind == 'constant':
        return eta
    if kind == 'step':
        epoch = step // batches_per_epoch
        return eta * schedule['gamma'] ** sum(1 for m in schedule['milestones'] if m <= epoch)
    if kind == 'cosine':
        floor = schedule['floor']
        return floor + (eta - floor) * (1 + math.cos(math.pi * step / total_batches)) / 2
    if kind == 'one-cycle':
        t, peak = (step + 1) / total_batches, schedule['peakFraction']
        return eta * t / peak if t <= peak else eta * (1 - t) / (1 - peak)
    raise SystemExit('unknown learning-rate schedule %s' % kind)


MOMENTUM = 0.9
ADAM_BETAS = (0.9, 0.999)
ADAM_EPSILON = 1e-7


def make_optimizer(name, parameters, learning_rate):
    if name == 'sgd':
        return torch.optim.SGD(parameters, lr=learning_rate)
    if name == 'momentum':
        return torch.optim.SGD(parameters, lr=learning_rate, momentum=MOMENTUM)
    if name == 'adam':
        return torch.optim.Adam(parameters, lr=learning_rate, betas=ADAM_BETAS, eps=ADAM_EPSILON)
    raise SystemExit('unknown optimizer %s' % name)
`;
