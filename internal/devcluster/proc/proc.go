// Package proc runs the local cluster's components as child processes:
// each in its own process group (a terminal's Ctrl-C reaches only the
// parent, which stops them in order), killed if the parent dies, with its
// output in a log file.
package proc

import (
	"fmt"
	"io"
	"net"
	"os"
	"os/exec"
	"syscall"
	"time"
)

// Process is a running component.
type Process struct {
	Name string
	// Log is the file its output goes to.
	Log  string
	cmd  *exec.Cmd
	exit chan error
}

// Start runs bin with args, its output in log.
func Start(name, log, bin string, args ...string) (*Process, error) {
	return StartEnv(name, log, bin, nil, args...)
}

// StartEnv is Start with env added to this process's environment
// (credentials a component reads from its environment, not its arguments).
func StartEnv(name, log, bin string, env []string, args ...string) (*Process, error) {
	logFile, err := os.Create(log)
	if err != nil {
		return nil, err
	}
	cmd := exec.Command(bin, args...)
	if env != nil {
		cmd.Env = append(os.Environ(), env...)
	}
	cmd.Stdout, cmd.Stderr = logFile, logFile
	cmd.SysProcAttr = &syscall.SysProcAttr{Setpgid: true, Pdeathsig: syscall.SIGKILL}
	if err := cmd.Start(); err != nil {
		_ = logFile.Close()
		return nil, fmt.Errorf("start %s: %w", name, err)
	}
	p := &Process{Name: name, Log: log, cmd: cmd, exit: make(chan error, 1)}
	go func() { p.exit <- cmd.Wait(); _ = logFile.Close() }()
	return p, nil
}

// Pid is the process's id.
func (p *Process) Pid() int { return p.cmd.Process.Pid }

// Exited says how the process ended, or nil while it runs.
func (p *Process) Exited() error {
	select {
	case err := <-p.exit:
		p.exit <- err
		return fmt.Errorf("%s exited (%v); see %s", p.Name, err, p.Log)
	default:
		return nil
	}
}

// Stop sends SIGTERM and, after grace, SIGKILL; it returns once the
// process is gone. Safe to call more than once.
func (p *Process) Stop(grace time.Duration) {
	_ = p.cmd.Process.Signal(syscall.SIGTERM)
	select {
	case err := <-p.exit:
		p.exit <- err
	case <-time.After(grace):
		_ = p.cmd.Process.Kill()
		p.exit <- <-p.exit
	}
}

// FreePorts are n ports free on 127.0.0.1 now, for components that are
// told their port rather than asked for it.
func FreePorts(n int) ([]int, error) {
	var ports []int
	var listeners []io.Closer
	defer func() {
		for _, l := range listeners {
			_ = l.Close()
		}
	}()
	for range n {
		l, err := net.Listen("tcp", "127.0.0.1:0")
		if err != nil {
			return nil, err
		}
		listeners = append(listeners, l)
		ports = append(ports, l.Addr().(*net.TCPAddr).Port)
	}
	return ports, nil
}
