"""The consoles' screens."""
