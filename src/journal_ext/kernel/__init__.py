"""What runs inside a notebook's kernel: the passport's widgets and figures."""
