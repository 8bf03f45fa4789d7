// Entry point of the nooks-emu command.
print("nooks-emu")
