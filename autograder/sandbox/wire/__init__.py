"""What both sides of the sandbox wall share: the value codec, the typed messages, the frames.

This package is mounted read-only into the sandbox and imported there by the shim, so it
imports nothing but the standard library, numpy and its own modules (a test parses every
import to hold that line):

    caps       what one message may cost, and the two ways a value fails to cross
    arrays     an array's dtype and shape checked against its bytes before numpy reads them
    values     the table: one encode/decode pair per type that crosses
    codec      a value to one message's bytes and back, within the caps
    protocol   typed requests, responses and the child's configuration
    transport  length-prefixed frames on a pipe pair, with deadlines
"""
