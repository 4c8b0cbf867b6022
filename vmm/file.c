/* SPDX-License-Identifier: MIT */
#include <errno.h>
#include <fcntl.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "file.h"
#include "log.h"

int file__size(const char *what, const char *path, uint64_t *size)
{
	struct stat st;

	if (stat(path, &st)) {
		int ret = -errno;

		vmm__log("%s %s: %s", what, path, strerror(errno));
		return ret;
	}
	if (!S_ISREG(st.st_mode)) {
		vmm__log("%s %s: not a regular file", what, path);
		return -EINVAL;
	}
	*size = st.st_size;
	return 0;
}

int file__read(const char *what, const char *path, void *dst, uint64_t size)
{
	uint64_t done = 0;
	int fd, ret = 0;

	fd = open(path, O_RDONLY | O_CLOEXEC);
	if (fd < 0) {
		ret = -errno;
		vmm__log("%s %s: %s", what, path, strerror(errno));
		return ret;
	}
	while (done < size) {
		ssize_t n = pread(fd, (char *)dst + done, size - done, done);

		if (n < 0 && errno == EINTR)
			continue;
		if (n <= 0) {
			ret = n < 0 ? -errno : -EIO;
			vmm__log("%s %s: %s", what, path,
				 n < 0 ? strerror(errno) : "the file is shorter than expected");
			break;
		}
		done += n;
	}
	close(fd);
	return ret;
}
