// A SPI NOR flash as the core meets it (template core/hw/rtl/spi_flash_model.v). It starts in
// deep power-down, where it ignores every command but the release 0xAB (so a loader that does
// not wake it reads nothing: the bus floats high). Awake, it answers READ (0x03, 24-bit address)
// from flash.mem, which holds the bytes written at FLASH_OFFSET (the 16-byte header, then the
// weights).
module spi_flash_model(input sck, input csn, input mosi, output reg miso);
`include "snn_config.vh"
    localparam BYTES = 16 + W_DEPTH * SPW * 2;
    reg [7:0] mem [0:BYTES-1];
    initial $readmemh("flash.mem", mem);
    reg [7:0] cmd;
    reg [23:0] addr;
    reg awake;
    integer count, index;
    initial begin
        miso = 1'b1;
        awake = 1'b0;
    end
    always @(negedge csn) begin
        count = 0;
        cmd = 8'h00;
        addr = 24'h0;
    end
    always @(posedge csn)
        if (count == 8 && cmd == 8'hAB)
            awake = 1'b1;
    always @(posedge sck)
        if (!csn) begin
            if (count < 8)
                cmd = {cmd[6:0], mosi};
            else if (count < 32)
                addr = {addr[22:0], mosi};
            count = count + 1;
        end
    always @(negedge sck)
        if (!csn && awake && cmd == 8'h03 && count >= 32) begin
            index = addr - FLASH_ADDR + (count - 32) / 8;
            miso = (index >= 0 && index < BYTES) ? mem[index][7 - (count - 32) % 8] : 1'b1;
        end
endmodule
