"""`tf.signal` internals: FFT wrappers, framing, windows, spectrograms, DCT and mel features."""
