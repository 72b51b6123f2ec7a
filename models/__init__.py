"""The shipped restoration models, installed as the data package `vnocr.models`.

Each folder (`restore-v1/`) holds `config.json`, `model.safetensors`, the vocabularies
and a model card (`README.md`); `vnocr.options.DEFAULT_MODEL_DIR` points at the default.
"""
