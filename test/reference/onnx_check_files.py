"""Checks ONNX files with the ONNX project's own checker: an oracle outside the workbench.

Usage: onnx_check_files.py FILE.onnx [FILE.onnx ...]
Prints one JSON document: {"onnx": version, "files": [{"file", "error"}]}, where error is null
when onnx.checker.check_model (with full_check: shape inference and type checks on every node)
accepts the file, else the checker's message.
"""
import json
import sys

import onnx


def check(path):
    try:
        onnx.checker.check_model(onnx.load(path), full_check=True)
        return None
    except Exception as error:  # the checker's own exception types vary by version
        return f"{type(error).__name__}: {error}"


def main():
    files = [{"file": path, "error": check(path)} for path in sys.argv[1:]]
    print(json.dumps({"onnx": onnx.__version__, "files": files}))


if __name__ == "__main__":
    main()
