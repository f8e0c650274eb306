#!/bin/sh
# Runs a testbench against SNN Studio's bit-accurate model: at the core's ports
# every layer's spikes at every step, a checksum of all membranes after every
# step, every output count and the class; through the UART (./simulate.sh uart)
# the protocol: the answers, recovery from stray and lost bytes and bad frames,
# the refusal of a wrong flash image. Exits 1 unless everything matches.
set -e
cd "$(dirname "$0")"
if [ "$1" = uart ]; then
    iverilog -g2005 -o tb_snn_uart.vvp tb_snn_uart.v snn_uart_top.v snn_core.v@SPRAM_SOURCES@
    vvp -n tb_snn_uart.vvp | tee simulate.log
else
    iverilog -g2005 -o tb_snn_core.vvp tb_snn_core.v snn_core.v@SPRAM_SOURCES@
    vvp -n tb_snn_core.vvp | tee simulate.log
fi
grep -q '^RESULT samples [0-9]* mismatches 0$' simulate.log
