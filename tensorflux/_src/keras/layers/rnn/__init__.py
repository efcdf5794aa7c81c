"""Recurrent layers: RNN, the SimpleRNN/LSTM/GRU cells and layers, wrappers, ConvLSTM."""
