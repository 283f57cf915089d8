"""Run llama.cpp's OpenAI-compatible server (`python -m llama_cpp.server` arguments) for the tests.

The one change: the CPU's extra weight buffers (AMX and repacked layouts) are turned off. On this
project's Xeon machines the AMX kernel of llama-cpp-python 0.3.36 segfaults in `decode` on any
prompt longer than one token; the plain CPU kernels answer correctly.
"""

from __future__ import annotations

import runpy

import llama_cpp.llama_cpp as bindings

_default_model_params = bindings.llama_model_default_params


def _model_params_without_extra_buffers():  # noqa: ANN202 - ctypes struct
    params = _default_model_params()
    params.use_extra_bufts = False
    return params


bindings.llama_model_default_params = _model_params_without_extra_buffers

if __name__ == "__main__":
    runpy.run_module("llama_cpp.server", run_name="__main__", alter_sys=True)
