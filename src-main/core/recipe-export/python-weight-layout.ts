/**
 * train.py's weight exchange with the workbench. The workbench stores weights NHWC-style
 * (engine/models/model-types.ts): a convolution [K,K,Cin,Cout], a dense layer [In,Out], vectors
 * as they are; PyTorch keeps [Cout,Cin,K,K] and [Out,In]. The names are the same on both sides
 * (python-architectures.ts), so by name:
 *   torch conv  = w.permute(3, 2, 0, 1)      workbench conv  = t.permute(2, 3, 1, 0)
 *   torch dense = w.T                        workbench dense = t.T
 * BatchNorm's num_batches_tracked has no workbench counterpart (its momentum is fixed) and is
 * left as PyTorch sets it. initial_weights.npz (written by the workbench) and the model.npz this
 * script writes at the end are both in the workbench's layout.
 */
export const weightLayoutPython = String.raw`
# ── Weights in the workbench's layout ─────────────────────────────────────────────────────────
def to_torch_layout(array):
    tensor = torch.from_numpy(np.ascontiguousarray(array, dtype=np.float32))
    if tensor.dim() == 4:
        return tensor.permute(3, 2, 0, 1).contiguous()
    if tensor.dim() == 2:
        return tensor.t().contiguous()
    return tensor


def to_workbench_layout(tensor):
    tensor = tensor.detach().cpu().float()
    if tensor.dim() == 4:
        tensor = tensor.permute(2, 3, 1, 0)
    elif tensor.dim() == 2:
        tensor = tensor.t()
    return np.ascontiguousarray(tensor.numpy(), dtype=np.float32)


def workbench_names(net):
    return [name for name in net.state_dict() if not name.endswith('num_batches_tracked')]


def load_workbench_weights(net, path):
    """Sets every weight of net from an .npz in the workbench's layout; refuses a mismatch."""
    arrays = np.load(path)
    expected = workbench_names(net)
    missing = [name for name in expected if name not in arrays.files]
    unknown = [name for name in arrays.files if name not in expected]
    if missing or unknown:
        raise SystemExit('%s does not fit the network: missing %s, unknown %s' % (path, missing, unknown))
    state = net.state_dict()
    for name in expected:
        value = to_torch_layout(arrays[name])
        if tuple(value.shape) != tuple(state[name].shape):
            raise SystemExit('%s: %s has shape %s, the network expects %s'
                             % (path, name, tuple(value.shape), tuple(state[name].shape)))
        state[name] = value
    net.load_state_dict(state)


def save_workbench_weights(state, path):
    """Writes a state_dict as an .npz in the workbench's layout (for the way back into the workbench)."""
    np.savez(path, **{name: to_workbench_layout(value) for name, value in state.items()
                      if not name.endswith('num_batches_tracked')})
`;
