"""Reads an ONNX file the workbench exported and runs it in PyTorch: an oracle outside the workbench.

Usage: onnx_export_check.py MODEL.onnx IMAGES.json
IMAGES.json: {"images": flat NCHW floats, "shape": [N, C, H, W]}.
Prints one JSON document: {"onnx": version, "opset": n, "ops": [op types in order],
"logits": flat [N, K], "shape": [N, K]}.

The file is checked with the ONNX project's own checker (onnx.checker.check_model, full
shape inference), then its graph is executed node by node with torch.nn.functional on the
initializers the file holds, so the numbers come from PyTorch's kernels and ONNX's definitions
of the ops, never from the workbench's code. Only the ops the exporter writes are implemented;
any other op fails loudly.
"""
import json
import sys

import onnx
import onnx.numpy_helper
import torch
import torch.nn.functional as F


def attributes(node):
    return {a.name: onnx.helper.get_attribute_value(a) for a in node.attribute}


def conv(x, w, b=None, *, kernel_shape, strides, pads, dilations=(1, 1), group=1):
    top, left, bottom, right = pads
    # ONNX pads are [top, left, bottom, right]; F.pad takes (left, right, top, bottom).
    x = F.pad(x, (left, right, top, bottom))
    return F.conv2d(x, w, b, stride=tuple(strides), dilation=tuple(dilations), groups=group)


def gemm(a, b, c, *, transB=0, transA=0, alpha=1.0, beta=1.0):
    a = a.t() if transA else a
    b = b.t() if transB else b
    return alpha * (a @ b) + beta * c


def batch_norm(x, scale, bias, mean, var, *, epsilon=1e-5, momentum=0.9):
    return F.batch_norm(x, mean, var, scale, bias, training=False, eps=epsilon)


def max_pool(x, *, kernel_shape, strides, pads=(0, 0, 0, 0)):
    assert not any(pads), "padded pooling is not written by the exporter"
    return F.max_pool2d(x, tuple(kernel_shape), tuple(strides))


OPS = {
    "Conv": conv,
    "Gemm": gemm,
    "BatchNormalization": batch_norm,
    "MaxPool": max_pool,
    "Relu": lambda x: F.relu(x),
    "Add": lambda a, b: a + b,
    "Mul": lambda a, b: a * b,
    "GlobalAveragePool": lambda x: x.mean(dim=(2, 3), keepdim=True),
    "Flatten": lambda x, axis: x.flatten(1) if axis == 1 else None,
    "Transpose": lambda x, perm: x.permute(*perm),
}


def main():
    model = onnx.load(sys.argv[1])
    onnx.checker.check_model(model, full_check=True)
    with open(sys.argv[2]) as f:
        given = json.load(f)
    images = torch.tensor(given["images"], dtype=torch.float32).reshape(given["shape"])
    values = {
        t.name: torch.from_numpy(onnx.numpy_helper.to_array(t).copy())
        for t in model.graph.initializer
    }
    values[model.graph.input[0].name] = images
    with torch.no_grad():
        for node in model.graph.node:
            inputs = [values[name] for name in node.input]
            out = OPS[node.op_type](*inputs, **attributes(node))
            if out is None:
                raise ValueError(f"{node.name}: {node.op_type} {attributes(node)} not implemented")
            values[node.output[0]] = out
    logits = values[model.graph.output[0].name]
    print(
        json.dumps(
            {
                "onnx": onnx.__version__,
                "opset": model.opset_import[0].version,
                "ops": [n.op_type for n in model.graph.node],
                "logits": logits.flatten().tolist(),
                "shape": list(logits.shape),
            }
        )
    )


if __name__ == "__main__":
    main()
