"""Pure rules and vocabulary of a review. Standard library only: no I/O, no clock, no ORM."""
