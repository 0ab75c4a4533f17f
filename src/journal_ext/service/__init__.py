"""The journal service (``journal-ext serve``) and how user servers, kernels and the CLI reach it."""
