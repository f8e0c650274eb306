#!/bin/sh
# Writes top.bin to the board's flash, then the weight image when the weights are in SPRAM (the
# core reads it at start-up).
set -e
cd "$(dirname "$0")"
@COMMANDS@
