// GET/POST /api/auth/* - next-auth's sign-in, callback, session and sign-out endpoints
export { GET, POST } from "@/server/auth/handlers";
