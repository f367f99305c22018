/**
 * train.py's threat models, PGD and TRADES' inner maximization: the workbench's own
 * (engine/attacks/constraints/*.ts, engine/attacks/pgd.ts, engine/training/trades.ts), step for
 * step. What is not the same: the random draws (random starts, TRADES' Gaussian start) come
 * from torch generators seeded from the same (seed, 'attack', step) labels, not from tfjs' ones.
 */
export const attacksPython = String.raw`
# ── Threat models: S(x) = {x' : ‖x' − x‖ ≤ ε} ∩ [0,1]^d, per example ──────────────────────────
TINY = 1e-12


def l2_norm(v):
    """‖v_n‖₂ per example, shaped [N,1,1,1]."""
    return v.flatten(1).pow(2).sum(1).sqrt().view(-1, 1, 1, 1)


def unit_direction(v):
    """v_n / ‖v_n‖₂, 0 where v_n = 0, scaled by max|v_n| first so tiny gradients keep their step."""
    largest = v.flatten(1).abs().amax(1).view(-1, 1, 1, 1)
    nonzero = largest > 0
    safe = torch.where(nonzero, largest, torch.ones_like(largest))
    factor = torch.where(nonzero, 1 / (safe * l2_norm(v / safe)), torch.zeros_like(largest))
    return v * factor


def l2_random_start(x, epsilon, generator):
    """x + ε · u^(1/d) · z/‖z‖: uniform in the L2 ball, then clipped to [0,1]."""
    z = torch.randn(x.shape, generator=generator, device=x.device)
    radius = torch.rand((x.shape[0], 1, 1, 1), generator=generator, device=x.device)
    radius = radius.pow(1 / x[0].numel()) * epsilon
    return (x + z / (l2_norm(z) + TINY) * radius).clamp(0, 1)


class Linf:
    @staticmethod
    def random_start(x, epsilon, generator):
        noise = torch.rand(x.shape, generator=generator, device=x.device) * 2 - 1
        return (x + noise * epsilon).clamp(0, 1)

    @staticmethod
    def step(point, gradient, step_size):
        return point + gradient.sign() * step_size

    @staticmethod
    def project(x, point, epsilon):
        return (x + (point - x).clamp(-epsilon, epsilon)).clamp(0, 1)


class L2:
    random_start = staticmethod(l2_random_start)

    @staticmethod
    def step(point, gradient, step_size):
        return point + unit_direction(gradient) * step_size

    @staticmethod
    def project(x, point, epsilon):
        delta = point - x
        scale = torch.clamp(epsilon / (l2_norm(delta) + TINY), max=1)
        return (x + delta * scale).clamp(0, 1)


class Unconstrained(L2):
    @staticmethod
    def project(x, point, epsilon):
        return point.clamp(0, 1)


CONSTRAINTS = {'linf': Linf, 'l2': L2, 'unconstrained': Unconstrained}


def attack_generator(seed, device):
    generator = torch.Generator(device=device)
    generator.manual_seed(seed)
    return generator


def pgd(net, x, y, attack):
    """Untargeted PGD on the cross-entropy, net in inference mode; per example the highest-loss
    iterate among x¹..x^T (engine/attacks/pgd.ts, one restart)."""
    constraint = CONSTRAINTS[attack['constraint']]
    epsilon, step_size = attack['epsilon'], attack['stepSize']
    if attack['randomStart']:
        point = constraint.random_start(x, epsilon, attack_generator(attack['seed'], x.device))
    else:
        point = x.clone()
    best_point = x.clone()
    best_objective = torch.full((x.shape[0],), -math.inf, device=x.device)
    for t in range(attack['steps'] + 1):
        last = t == attack['steps']
        point = point.detach().requires_grad_(not last)
        with torch.set_grad_enabled(not last):
            objective = cross_entropy(net(point), y)
        if t > 0:
            improved = (objective.detach() > best_objective).view(-1, 1, 1, 1)
            best_point = torch.where(improved, point.detach(), best_point)
            best_objective = torch.maximum(objective.detach(), best_objective)
        if not last:
            gradient, = torch.autograd.grad(objective.sum(), point)
            point = constraint.project(x, constraint.step(point.detach(), gradient, step_size), epsilon)
    return best_point.detach()


def kl_per_example(p_logits, q_logits):
    """KL(softmax p ‖ softmax q) per example, from log-softmax."""
    log_p = F.log_softmax(p_logits, dim=1)
    return (log_p.exp() * (log_p - F.log_softmax(q_logits, dim=1))).sum(1)


TRADES_START_SCALE = 0.001


def trades_examples(net, x, attack):
    """x' maximizing Σ KL(f(x) ‖ f(x')) over S(x), f(x) held fixed, the last iterate kept
    (engine/training/trades.ts); start Π_S(x + 0.001·z), z ~ N(0, I)."""
    constraint = CONSTRAINTS[attack['constraint']]
    epsilon, step_size = attack['epsilon'], attack['stepSize']
    with torch.no_grad():
        target = net(x)
    generator = attack_generator(attack['seed'], x.device)
    noise = torch.randn(x.shape, generator=generator, device=x.device)
    point = constraint.project(x, x + noise * TRADES_START_SCALE, epsilon)
    for _ in range(attack['steps']):
        point = point.detach().requires_grad_(True)
        gradient, = torch.autograd.grad(kl_per_example(target, net(point)).sum(), point)
        point = constraint.project(x, constraint.step(point.detach(), gradient, step_size), epsilon)
    return point.detach()
`;
