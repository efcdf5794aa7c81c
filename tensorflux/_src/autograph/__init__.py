"""AutoGraph: conversion of Python control flow on tensors (see conversion.py)."""
