#include "cmpiloader.h"

#include <dlfcn.h>
#include <stdio.h>
#include <stdlib.h>

/* Open MPI's handles are pointers to structs; only their addresses are used here. */
typedef void *handle;

static int (*init_thread)(int *, char ***, int, int *);
static int (*comm_rank)(handle, int *);
static int (*comm_size)(handle, int *);
static int (*allreduce)(const void *, void *, int, handle, handle, handle);
static int (*bcast)(void *, int, handle, int, handle);
static int (*abort_job)(handle, int);
static int (*finalize)(void);
static handle world, mpi_float, mpi_double, op_sum;

/* Open MPI 4's values (mpi.h): MPI_IN_PLACE is (void *)1, MPI_THREAD_FUNNELED is 1. */
#define GANREPL_MPI_IN_PLACE ((void *)1)
#define GANREPL_MPI_THREAD_FUNNELED 1
#define PIECE ((size_t)1 << 30)

static void *find(void *library, const char *name, char *error, size_t capacity) {
  void *symbol = dlsym(library, name);
  if (!symbol) snprintf(error, capacity, "libmpi.so.40 has no symbol '%s' (is it Open MPI 4 or later?)", name);
  return symbol;
}

int ganrepl_mpi_start(const char *name, int *rank, int *size, char *error, size_t capacity) {
  /* RTLD_GLOBAL: Open MPI's own plugins resolve libmpi's symbols through the global scope. */
  void *library = dlopen(name, RTLD_NOW | RTLD_GLOBAL);
  if (!library) {
    snprintf(error, capacity, "cannot load %s (%s)", name, dlerror());
    return 0;
  }
  if (!(init_thread = find(library, "MPI_Init_thread", error, capacity))) return 0;
  if (!(comm_rank = find(library, "MPI_Comm_rank", error, capacity))) return 0;
  if (!(comm_size = find(library, "MPI_Comm_size", error, capacity))) return 0;
  if (!(allreduce = find(library, "MPI_Allreduce", error, capacity))) return 0;
  if (!(bcast = find(library, "MPI_Bcast", error, capacity))) return 0;
  if (!(abort_job = find(library, "MPI_Abort", error, capacity))) return 0;
  if (!(finalize = find(library, "MPI_Finalize", error, capacity))) return 0;
  if (!(world = find(library, "ompi_mpi_comm_world", error, capacity))) return 0;
  if (!(mpi_float = find(library, "ompi_mpi_float", error, capacity))) return 0;
  if (!(mpi_double = find(library, "ompi_mpi_double", error, capacity))) return 0;
  if (!(op_sum = find(library, "ompi_mpi_op_sum", error, capacity))) return 0;
  int provided = 0;
  if (init_thread(NULL, NULL, GANREPL_MPI_THREAD_FUNNELED, &provided) != 0) {
    snprintf(error, capacity, "MPI_Init_thread failed");
    return 0;
  }
  comm_rank(world, rank);
  comm_size(world, size);
  return 1;
}

static void sum(void *values, size_t count, size_t width, handle type) {
  for (size_t done = 0; done < count; done += PIECE) {
    size_t n = count - done < PIECE ? count - done : PIECE;
    allreduce(GANREPL_MPI_IN_PLACE, (char *)values + done * width, (int)n, type, op_sum, world);
  }
}

void ganrepl_mpi_sum_floats(float *values, size_t count) { sum(values, count, sizeof(float), mpi_float); }

void ganrepl_mpi_sum_doubles(double *values, size_t count) { sum(values, count, sizeof(double), mpi_double); }

void ganrepl_mpi_broadcast_floats(float *values, size_t count, int root) {
  for (size_t done = 0; done < count; done += PIECE) {
    size_t n = count - done < PIECE ? count - done : PIECE;
    bcast(values + done, (int)n, mpi_float, root, world);
  }
}

void ganrepl_mpi_abort(int code) {
  abort_job(world, code);
  exit(code);
}

void ganrepl_mpi_finish(void) { finalize(); }
