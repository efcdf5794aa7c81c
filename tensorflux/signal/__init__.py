"""`tf.signal`: Fourier transforms, framing, windows, spectrograms, DCT and mel features."""

from tensorflux._src.signal.fft import fft as fft
from tensorflux._src.signal.fft import fft2d as fft2d
from tensorflux._src.signal.fft import fft3d as fft3d
from tensorflux._src.signal.fft import fftshift as fftshift
from tensorflux._src.signal.fft import ifft as ifft
from tensorflux._src.signal.fft import ifft2d as ifft2d
from tensorflux._src.signal.fft import ifft3d as ifft3d
from tensorflux._src.signal.fft import ifftshift as ifftshift
from tensorflux._src.signal.fft import irfft as irfft
from tensorflux._src.signal.fft import irfft2d as irfft2d
from tensorflux._src.signal.fft import irfft3d as irfft3d
from tensorflux._src.signal.fft import rfft as rfft
from tensorflux._src.signal.fft import rfft2d as rfft2d
from tensorflux._src.signal.fft import rfft3d as rfft3d
from tensorflux._src.signal.dct_ops import dct as dct
from tensorflux._src.signal.dct_ops import idct as idct
from tensorflux._src.signal.mel_ops import (
    linear_to_mel_weight_matrix as linear_to_mel_weight_matrix,
)
from tensorflux._src.signal.mel_ops import (
    mfccs_from_log_mel_spectrograms as mfccs_from_log_mel_spectrograms,
)
from tensorflux._src.signal.shape_ops import frame as frame
from tensorflux._src.signal.shape_ops import overlap_and_add as overlap_and_add
from tensorflux._src.signal.spectral_ops import inverse_mdct as inverse_mdct
from tensorflux._src.signal.spectral_ops import inverse_stft as inverse_stft
from tensorflux._src.signal.spectral_ops import inverse_stft_window_fn as inverse_stft_window_fn
from tensorflux._src.signal.spectral_ops import mdct as mdct
from tensorflux._src.signal.spectral_ops import stft as stft
from tensorflux._src.signal.window_ops import hamming_window as hamming_window
from tensorflux._src.signal.window_ops import hann_window as hann_window
from tensorflux._src.signal.window_ops import (
    kaiser_bessel_derived_window as kaiser_bessel_derived_window,
)
from tensorflux._src.signal.window_ops import kaiser_window as kaiser_window
from tensorflux._src.signal.window_ops import vorbis_window as vorbis_window
