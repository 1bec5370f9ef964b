"""Hardware drivers: printers, scanners, cameras and their emulators. Knows nothing of codes or ledgers."""
