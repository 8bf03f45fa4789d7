// Entry point of the nooks-emu command: everything lives in NooksEmuCLI.

import NooksEmuCLI

NooksEmuCommand.main()
