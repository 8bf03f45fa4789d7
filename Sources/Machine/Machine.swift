// Machine layer: placeholder until the machine lands.
