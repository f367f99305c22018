/**
 * train.py's cross-entropy: the workbench's non-saturating form
 * (engine/attacks/per-example-loss.ts), with d_j = z_j − z_y and M = max(0, max_{j≠y} d_j):
 *   CE = M + log1p(e^−M − 1 + Σ_{j≠y} e^{d_j − M})
 *   ∂CE/∂z_j = p_j = e^{d_j − CE} (j ≠ y),   ∂CE/∂z_y = −Σ_{j≠y} p_j
 * PyTorch's own cross_entropy rounds p_y − 1 to 0 once the margin passes ~17, and PGD's sign
 * step then follows a different direction for such an image (measured: a 15–25% difference in
 * the one-step PGD update of madry-cnn and small-cnn at their initial weights). Used for the
 * training loss as well, so both sides minimize the same function.
 */
export const lossesPython = String.raw`
# ── Cross-entropy, as the workbench computes it ───────────────────────────────────────────────
class CrossEntropyPerExample(torch.autograd.Function):
    """Per-example CE [N] from logits [N,K] and int64 labels [N], exact at any margin."""

    @staticmethod
    def forward(ctx, logits, labels):
        own = F.one_hot(labels, logits.shape[1]).to(logits.dtype)
        true_logit = logits.gather(1, labels[:, None])
        others = torch.where(own.bool(), torch.full_like(logits, -math.inf), logits - true_logit)
        shift = others.amax(1).clamp(min=0)
        shifted = torch.exp(others - shift[:, None]).sum(1)
        value = shift + torch.log1p(torch.exp(-shift) - 1 + shifted)
        probabilities = torch.exp(others - value[:, None])
        ctx.save_for_backward(probabilities - own * probabilities.sum(1, keepdim=True))
        return value

    @staticmethod
    def backward(ctx, upstream):
        jacobian, = ctx.saved_tensors
        return upstream[:, None] * jacobian, None


def cross_entropy(logits, labels):
    return CrossEntropyPerExample.apply(logits, labels)
`;
