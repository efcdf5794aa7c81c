"""NumPy reference updates for the Keras optimizers (one variable, float64), written from the
published algorithms; `step(w, g, t, state)` returns the new weight (t counts from 1)."""

from __future__ import annotations

import math

import numpy as np


def sgd(lr=0.01, momentum=0.0, nesterov=False):
    def step(w, g, t, s):
        if not momentum:
            return w - lr * g
        m = momentum * s.get("m", 0.0) - lr * g
        s["m"] = m
        return w + (momentum * m - lr * g if nesterov else m)

    return step


def adam(lr=0.001, beta_1=0.9, beta_2=0.999, epsilon=1e-7, amsgrad=False):
    def step(w, g, t, s):
        m = s["m"] = beta_1 * s.get("m", 0.0) + (1 - beta_1) * g
        v = s["v"] = beta_2 * s.get("v", 0.0) + (1 - beta_2) * g * g
        if amsgrad:
            v = s["vhat"] = np.maximum(s.get("vhat", 0.0), v)
        alpha = lr * math.sqrt(1 - beta_2**t) / (1 - beta_1**t)
        return w - alpha * m / (np.sqrt(v) + epsilon)

    return step


def rmsprop(lr=0.001, rho=0.9, momentum=0.0, epsilon=1e-7, centered=False):
    def step(w, g, t, s):
        v = s["v"] = rho * s.get("v", 0.0) + (1 - rho) * g * g
        denom = v + epsilon
        if centered:
            a = s["a"] = rho * s.get("a", 0.0) + (1 - rho) * g
            denom = denom - a * a
        inc = lr * g / np.sqrt(denom)
        if momentum:
            inc = s["mom"] = momentum * s.get("mom", 0.0) + inc
        return w - inc

    return step


def adagrad(lr=0.001, initial_accumulator_value=0.1, epsilon=1e-7):
    def step(w, g, t, s):
        acc = s["acc"] = s.get("acc", initial_accumulator_value) + g * g
        return w - lr * g / np.sqrt(acc + epsilon)

    return step


def adadelta(lr=0.001, rho=0.95, epsilon=1e-7):
    def step(w, g, t, s):
        ag = s["ag"] = rho * s.get("ag", 0.0) + (1 - rho) * g * g
        d = -np.sqrt(s.get("ad", 0.0) + epsilon) / np.sqrt(ag + epsilon) * g
        s["ad"] = rho * s.get("ad", 0.0) + (1 - rho) * d * d
        return w + lr * d

    return step


def adamax(lr=0.001, beta_1=0.9, beta_2=0.999, epsilon=1e-7):
    def step(w, g, t, s):
        m = s["m"] = beta_1 * s.get("m", 0.0) + (1 - beta_1) * g
        u = s["u"] = np.maximum(beta_2 * s.get("u", 0.0), np.abs(g))
        return w - lr * m / ((1 - beta_1**t) * (u + epsilon))

    return step


def nadam(lr=0.001, beta_1=0.9, beta_2=0.999, epsilon=1e-7):
    def mu(t):
        return beta_1 * (1 - 0.5 * 0.96**t)

    def step(w, g, t, s):
        prod = s["prod"] = s.get("prod", 1.0) * mu(t)
        prod_next = prod * mu(t + 1)
        m = s["m"] = beta_1 * s.get("m", 0.0) + (1 - beta_1) * g
        v = s["v"] = beta_2 * s.get("v", 0.0) + (1 - beta_2) * g * g
        m_hat = mu(t + 1) * m / (1 - prod_next) + (1 - mu(t)) * g / (1 - prod)
        v_hat = v / (1 - beta_2**t)
        return w - lr * m_hat / (np.sqrt(v_hat) + epsilon)

    return step


def ftrl(lr=0.001, learning_rate_power=-0.5, initial_accumulator_value=0.1,
         l1_regularization_strength=0.0, l2_regularization_strength=0.0,
         l2_shrinkage_regularization_strength=0.0, beta=0.0):  # fmt: skip
    p = -learning_rate_power
    l1 = l1_regularization_strength
    l2 = l2_regularization_strength + beta / (2 * lr)

    def step(w, g, t, s):
        acc = s.get("acc", initial_accumulator_value)
        g_used = g + 2 * l2_shrinkage_regularization_strength * w
        new_acc = acc + g * g
        lin = s["lin"] = s.get("lin", 0.0) + g_used - (new_acc**p - acc**p) / lr * w
        s["acc"] = new_acc
        quad = new_acc**p / lr + 2 * l2
        return (np.clip(lin, -l1, l1) - lin) / quad

    return step


def lion(lr=0.001, beta_1=0.9, beta_2=0.99):
    def step(w, g, t, s):
        m = s.get("m", 0.0)
        s["m"] = beta_2 * m + (1 - beta_2) * g
        return w - lr * np.sign(beta_1 * m + (1 - beta_1) * g)

    return step


def lamb(lr=0.001, beta_1=0.9, beta_2=0.999, epsilon=1e-7):
    def step(w, g, t, s):
        m = s["m"] = beta_1 * s.get("m", 0.0) + (1 - beta_1) * g
        v = s["v"] = beta_2 * s.get("v", 0.0) + (1 - beta_2) * g * g
        u = (m / (1 - beta_1**t)) / (np.sqrt(v / (1 - beta_2**t)) + epsilon)
        wn, un = np.linalg.norm(w), np.linalg.norm(u)
        ratio = wn / un if wn > 0 and un > 0 else 1.0
        return w - lr * ratio * u

    return step


def adafactor(lr=0.001, beta_2_decay=-0.8, epsilon_1=1e-30, epsilon_2=1e-3, clip_threshold=1.0,
              relative_step=True):  # fmt: skip
    def step(w, g, t, s):
        rho = min(lr, 1 / math.sqrt(t)) if relative_step else lr
        alpha = max(epsilon_2, np.sqrt(np.mean(w * w))) * rho
        b2 = 1 - t**beta_2_decay
        g2 = g * g + epsilon_1
        if w.ndim >= 2:
            r = s["r"] = b2 * s.get("r", 0.0) + (1 - b2) * g2.mean(-1)
            c = s["c"] = b2 * s.get("c", 0.0) + (1 - b2) * g2.mean(-2)
            v = (r / r.mean(-1, keepdims=True))[..., None] * c[..., None, :]
        else:
            v = s["v"] = b2 * s.get("v", 0.0) + (1 - b2) * g2
        u = g / np.sqrt(v)
        u = u / max(1.0, np.sqrt(np.mean(u * u)) / clip_threshold)
        return w - alpha * u

    return step


def schedule_free_adamw(lr=0.0025, beta_2=0.999, epsilon=1e-8, warmup_steps=0):
    def step(w, g, t, s):
        z = s.get("z", w)
        v = s["v"] = beta_2 * s.get("v", 0.0) + (1 - beta_2) * g * g
        lr_t = lr * min(1.0, t / warmup_steps) if warmup_steps else lr
        z = s["z"] = z - lr_t * g / (np.sqrt(v / (1 - beta_2**t)) + epsilon)
        return w * (1 - 1 / t) + z / t

    return step


def muon(lr=0.001, wd=0.004, momentum=0.95, nesterov=True, ns_steps=5, rms_rate=0.2,
         abc=(3.4445, -4.775, 2.0315)):  # fmt: skip
    """2-D weights: orthogonalized momentum; others: Adam (defaults). Decay first, as AdamW."""
    adam_step = adam(lr)

    def orthogonalize(x):
        tall = x.shape[0] > x.shape[1]
        x = x.T if tall else x
        x = x / (np.linalg.norm(x) + 1e-7)
        a, b, c = abc
        for _ in range(ns_steps):
            gram = x @ x.T
            x = a * x + (b * gram + c * gram @ gram) @ x
        return x.T if tall else x

    def step(w, g, t, s):
        w = w - w * wd * lr
        if w.ndim != 2:
            return adam_step(w, g, t, s)
        m = s["m"] = momentum * s.get("m", 0.0) + g
        u = orthogonalize(g + momentum * m if nesterov else m)
        if rms_rate is not None:
            u = u * rms_rate * max(w.shape) ** 0.5
        return w - lr * u

    return step
