//go:build unix

package repo

import (
	"os/exec"
	"syscall"
)

// detach starts cmd in a session of its own, with no controlling terminal.
func detach(cmd *exec.Cmd) {
	cmd.SysProcAttr = &syscall.SysProcAttr{Setsid: true}
}
