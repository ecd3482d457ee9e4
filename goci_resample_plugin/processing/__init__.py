"""The Processing layer: provider and algorithms, a thin shell over ``core``."""
