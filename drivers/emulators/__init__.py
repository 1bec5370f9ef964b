"""Emulated devices that speak the real protocols over real transports."""
