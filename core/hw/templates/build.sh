#!/bin/sh
# Synthesise, place and route, pack: top.bin for the @BOARD@.
set -e
cd "$(dirname "$0")"
@COMMANDS@
