"""The pages, one module per area; each view parses, calls one service, renders or redirects."""
