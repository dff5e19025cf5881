// qe: the Quantum Energy mesh from the command line (Tools/QECLI has the commands).
import QECLI

await QEMain.main()
