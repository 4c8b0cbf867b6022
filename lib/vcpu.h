/* SPDX-License-Identifier: MIT */
/* KVM vCPU register access for the injection paths (lib/vcpu.c). */
#ifndef SEAWALL_LIB_VCPU_H
#define SEAWALL_LIB_VCPU_H

#include <stdint.h>

/*
 * ioctl(2) that returns the result or -errno and leaves errno as it found
 * it (library functions never touch errno).
 */
int sw_kvm_ioctl(int fd, unsigned long request, void *arg);

/* KVM_GET_ONE_REG / KVM_SET_ONE_REG of one 64-bit register: 0 or -errno. */
int sw_kvm_get_reg(int vcpu_fd, uint64_t id, uint64_t *value);
int sw_kvm_set_reg(int vcpu_fd, uint64_t id, uint64_t value);

#endif
