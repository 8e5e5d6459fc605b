"""Where a GradingResult is kept between runs: its one lossless, versioned JSON form
(codec.py). Below the report: the gradebook stores this, the edges render what it reads."""

from .codec import FORMAT, decode, dumps, encode, from_data, to_data

__all__ = ["FORMAT", "decode", "dumps", "encode", "from_data", "to_data"]
