"""The people's side: the command line and the Textual consoles."""
