"""Screening: stages, the protocol each stage follows, votes, and the outcomes derived from them."""
