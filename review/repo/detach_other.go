//go:build !unix

package repo

import "os/exec"

func detach(cmd *exec.Cmd) {}
