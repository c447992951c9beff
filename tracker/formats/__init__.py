"""Date and time formats of the interface (settings.FORMAT_MODULE_PATH), one module per language."""
