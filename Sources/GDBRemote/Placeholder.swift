// GDB remote protocol: placeholder until the module lands.
