"""`python -m cosynth` runs the command line."""

from cosynth.cli.main import main

if __name__ == "__main__":
    main()
