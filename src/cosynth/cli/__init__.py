"""The `cosynth` command line: parse input, call one service, present the result."""
